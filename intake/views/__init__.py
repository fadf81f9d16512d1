"""Plain function views by page family: calls, proposals, reviews, the board, suggestions
(the office's handling) and the public suggestion pages."""
