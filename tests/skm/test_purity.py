"""The scoring core stays plain Python: no Django, no third-party imports."""

import ast
import subprocess
import sys
from pathlib import Path

import sumberdaya.skm

SOURCES = sorted(Path(sumberdaya.skm.__file__).parent.glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_package_has_source_files_to_check() -> None:
    assert {path.name for path in SOURCES} >= {"__init__.py", "scoring.py", "elements.py"}


def test_no_source_file_mentions_a_django_import() -> None:
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "import django" not in text and "from django" not in text, path.name
        assert not any(module.split(".")[0] == "django" for module in _imported_modules(path)), path.name


def test_only_the_standard_library_and_the_package_itself_are_imported() -> None:
    for path in SOURCES:
        for module in _imported_modules(path):
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or module.startswith("sumberdaya.skm"), (path.name, module)


def test_importing_the_package_does_not_load_django() -> None:
    code = "import sys, sumberdaya.skm; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
