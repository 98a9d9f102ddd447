"""Portal views, one module per page group; every view is wrapped by
``portal.access.portal_page`` (login, own record, person kind)."""
