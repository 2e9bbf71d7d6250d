"""Who may do what with station operations and the biennial assessment (see
:mod:`talentstation.rules` for the shared roles and the score-sheet rules)."""
