"""The case library: the organ's earlier requests, looked up for a new one.

What two requests have in common is judged in two steps (docs/adr/0009):
the text (character bigrams of the request with its boilerplate removed, `text`) ranks the
candidates, and the FACTS of each request (`facts`: years and periods, 文号, places, phases
and batches, the stage or document type, whose personal record) decide whether they ask for
the *same information* (Regulations on Open Government Information, Art 36(6)): a fact that
conflicts makes two look-alikes different, whatever their wording.

On top of that judgement (`judgements`): repeats under Art 36(6) and duplicates to merge,
the applicant's volume under Art 35, popular topics under Art 44, and the division to route
to. Everything here is a suggestion: the system never decides an outcome.

The package is domain core: it imports nothing from `letters/` or `workflows/`.
"""
