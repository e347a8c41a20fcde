"""Self-check campaigns (自查, issue 26 point 1): the OGI office reviews, on a schedule, every
withheld decision still in force and the popular topics of the case library (Art 44; the work
plan's 定期自查); each item goes to its division, the liaison officer concludes, the head of the
OGI office approves."""
