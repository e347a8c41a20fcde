"""The proactive-disclosure catalogue (主动公开目录) and the disclosure guide (政府信息公开指南)
as managed content (issue 26 points 2–6; the work plan §6(二): 不断完善本部门主动公开基本目录，
并动态调整更新；及时更新政府信息公开指南，明确标注更新日期).

Domain floor: models, services (writes with their history), selectors (reads). The pages live
in `workflows/catalogue/`; building an item from a case's release set lives with the records
(`workflows/catalogue/from_case.py`), since this floor does not import `letters`.
"""
