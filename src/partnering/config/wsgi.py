import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnering.config.settings.prod")
application = get_wsgi_application()

# Ready the review PDFs' renderer while the process starts rather than on a person's first PDF.
try:
    from partnering.assurance.report import warm_up

    warm_up()
except Exception:  # a web server that cannot draw PDFs still serves every page
    logging.getLogger(__name__).exception("The PDF renderer could not be readied")
