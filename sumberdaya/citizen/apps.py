from django.apps import AppConfig


class CitizenConfig(AppConfig):
    """The citizen's pages: the survey on a phone, the kiosk tablet, invitation slips, the thank-you page,
    QR posters. They present data of the apps below (surveys, perception, the city's publication)."""

    name = "sumberdaya.citizen"
    verbose_name = "Warga"
