"""List the demos: ``python -m demos``. Each runs as ``python -m demos.<name>`` from the repository's root."""

import ast
import pkgutil
from pathlib import Path


def summaries() -> dict[str, str]:
    """Each runnable demo module's name and the first line of its docstring, read without importing it."""
    folder = Path(__file__).parent
    found = {}
    for module in pkgutil.iter_modules([str(folder)]):
        if module.ispkg or module.name.startswith("_"):
            continue
        source = (folder / f"{module.name}.py").read_text()
        if '__name__ == "__main__"' not in source and "parse_args(" not in source:
            continue  # a demo is a program (or a listing run as one) that reads its command line; the rest are helpers
        docstring = ast.get_docstring(ast.parse(source)) or ""
        found[module.name] = docstring.splitlines()[0] if docstring else ""
    return found


if __name__ == "__main__":
    found = summaries()
    width = max(map(len, found))
    for name, summary in found.items():
        print(f"python -m demos.{name:<{width}}  {summary}")
