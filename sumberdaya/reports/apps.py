from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "sumberdaya.reports"
    verbose_name = "Laporan"

    def ready(self) -> None:
        from sumberdaya.reports.submission import report_statuses
        from sumberdaya.results.lateness import provide_report_statuses

        # results.lateness decides who is late for their report; the statuses are ours (it sits below us).
        provide_report_statuses(report_statuses)
