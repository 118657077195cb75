"""python -m swgdash: the command line (swgdash/cli.py).

pandas, numpy and pyarrow are loaded only by a command that uses them. Each is first a stand-in
module that loads the real one at its first attribute (importlib's own LazyLoader cannot serve
here: on Python 3.11 a second `import pandas` reads the module's __spec__, which loads it). The
read commands (summary, trend, changes, versions, verify) compute in DuckDB and write JSON with
orjson, so they load none of them: about half a second and a hundred megabytes less per call
(bench/RESULTS.md, issue 31)."""
import importlib
import importlib.util
import sys
import types


class _OnFirstUse(types.ModuleType):
    """A module that is loaded when something first reads one of its attributes; from then on the
    stand-in holds the real module's attributes (and any it lacks is read from the real module)."""

    def __getattr__(self, attr: str):
        name = self.__dict__["__name__"]
        if sys.modules.get(name) is self:
            del sys.modules[name]  # (the real module is loaded under its own name, then kept there)
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attr)


# What DuckDB reads of pandas whenever it binds a query's parameters (to recognise pandas' missing
# values among them): while pandas is not loaded no value can be one, so these are never matched.
_UNTIL_LOADED = {"pandas": ("NA", "NaT")}

for _name in ("pandas", "numpy", "pyarrow"):
    if _name not in sys.modules and (_spec := importlib.util.find_spec(_name)) is not None:
        _stand_in = _OnFirstUse(_name)
        _stand_in.__spec__ = _spec  # (what `import` reads of a module it already has: never a load)
        for _attr in _UNTIL_LOADED.get(_name, ()):
            setattr(_stand_in, _attr, object())
        sys.modules[_name] = _stand_in

from swgdash.cli import main  # noqa: E402  (after the stand-ins are in place)

sys.exit(main())
