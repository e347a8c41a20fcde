"""The self-check's pages (issue 26 point 1): campaigns, an item with its conclusion and
approval, the report as PDF and XLSX, and the panel on the workbench."""
