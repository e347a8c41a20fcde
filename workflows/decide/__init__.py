"""Issue 24 points 1 and 9: the decision shown where it is decided (the proposal, its letter's
draft, the release set and what changed since the last round beside the review and sign-off
forms; a returned proposal reopens prefilled), and the office habits of OA software (the 已办
list, the printable 办理审批单, 常用语)."""
