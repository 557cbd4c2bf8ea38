from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "gongkai.site"
    label = "site_"
    verbose_name = "gongkai"
