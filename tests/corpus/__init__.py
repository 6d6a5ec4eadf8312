"""A corpus of realistic 業務棚卸し / 業務量調査 sheets (SPEC 4.2.1), built by a script, each with
the annual hours it must give, worked out by hand from the sheet's content.

`sheets.CASES` lists the cases; `python -m tests.corpus.write OUTDIR` writes every file and an
`expected.json` so that a person can open the sheets in Excel and check the figures."""
