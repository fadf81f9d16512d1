"""Plain function views, one module per page family. Each loads its object through an
access helper (``projects.access``) and leaves rules to models, forms and services."""
