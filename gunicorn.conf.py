# gunicorn settings read from the working directory by every `gunicorn` start of the app.
# Which proxy headers to believe is the app's decision alone (FORMS_PROXY_COUNT, Werkzeug's
# ProxyFix). gunicorn would otherwise trust X-Forwarded-Proto from 127.0.0.1 by itself, so a
# request that merely claimed HTTPS made the CSRF check demand a Referer.
forwarded_allow_ips = ""
