"""Follow-up questions asked after the final output (`--follow-up`), and their classes.

`questions` holds afbench's built-in questions and the categories their answers fall
into (plain data, imported by the simulator too); `solver` asks them; `scorer` classifies
the answers with the judge; `summary` counts the classes per condition.
"""
