"""Pages of the ``units`` app: the directory of units and officials, the pickers' search,
and account management."""
