# gunicorn settings read from the working directory by every `gunicorn` start of the app.
# Which proxy headers to believe is the app's decision alone (FORMS_PROXY_COUNT, Werkzeug's
# ProxyFix). gunicorn would otherwise trust X-Forwarded-Proto from 127.0.0.1 by itself, so a
# request that merely claimed HTTPS made the CSRF check demand a Referer.
forwarded_allow_ips = ""

# Oversized request lines and headers are nginx's to refuse, with its Chinese pages
# (docs/FORMS.md: `large_client_header_buffers 4 6k`, `error_page 414 …`). gunicorn's own
# limits sit above everything nginx lets through, so its English 400/414/431 answers never
# reach a visitor: lines up to 8190 bytes (gunicorn's maximum; nginx passes 6 kB), header
# fields up to 8190 bytes (a 6 kB X-Forwarded-For plus the address nginx appends), and as many
# header fields as nginx's 24 kB of header buffers can hold (100 by default).
limit_request_line = 8190
limit_request_field_size = 8190
limit_request_fields = 8000
