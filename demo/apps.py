from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content, `load_demo` and the benchmarks: development and tests only."""

    name = "demo"
    verbose_name = "Demo"
