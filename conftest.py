"""Root conftest: the project's own tests use pytester for plugin tests."""

pytest_plugins = ["pytester"]
