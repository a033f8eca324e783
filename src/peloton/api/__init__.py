"""The REST API: a thin FastAPI adapter over the core and the capabilities (no rule logic here).

`peloton.api.app.create_app()` builds the application; `peloton serve` runs it on uvicorn.
"""
