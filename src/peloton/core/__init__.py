"""What every capability shares, below all of them and above the rules model.

The scheme table and a scheme's totals (`schemes`), the one parameter accessor (`parameters`), the
input specification derived from the model (`inputs`), take-up read from the model's parameters
(`takeup`) and scenarios, the law as it stands or a reform (`scenario`). The navigator, the
simulator, the API and the web app import this package and the model, never each other.
"""
