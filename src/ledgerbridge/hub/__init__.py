"""The ledgerbridge hub: the Django project that stores documents and moves them to the books.

Layers depend downward only (checked by import-linter):
``config -> api | web -> identity -> core``. Domain apps keep reads in ``selectors.py``
and writes in ``services.py``; views and API handlers only translate HTTP.
"""
