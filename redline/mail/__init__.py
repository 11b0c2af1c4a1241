"""E-mail plumbing: building MIME messages, the transports (SMTP, console, folder), rendering
mail templates, and the RQ queue. The outbox itself is in services/mail.py."""
