"""``mt serve``: a local web page and an HTTP API over one loaded model.

- ``worker``: the one thread that owns the models; requests queue for it.
- ``service``: what the endpoints do (translate, align, check, report), on that thread.
- ``bodies``: reading and validating request bodies into one-line errors.
- ``app``: the FastAPI application (LibreTranslate's routes and mt's ``/v1``).
- ``page.html``: the self-contained page served at ``/``.
"""
