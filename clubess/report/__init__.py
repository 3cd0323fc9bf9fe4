"""The club's yearly activity report (*bilan*): live figures for coordinators, a frozen version for the public."""
