"""tq serve: the pre-publication QA step as an HTTP service and an editor's review page.

- ``api``: the ASGI app (FastAPI): the routes, their JSON, auth, limits and the request log;
- ``runner``: each worker's bounded queue of checks, run off the event loop and stoppable;
- ``store``: the review page's decisions, in SQLite (WAL);
- ``page``: the review page (Jinja templates, a static script);
- ``command``: the `tq serve` command line, which starts uvicorn.
Nothing here is imported by the rest of tq: the core knows nothing of HTTP.
"""
