// Public API: each construct is exported from here.
