"""The interview in the browser: a local web server over the same session and engine as the
terminal (``upphandla interview --web``). Starlette and uvicorn are imported only here."""
