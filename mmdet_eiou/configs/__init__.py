"""Our configs (configs/eiou/) as pure-Python config modules, for read_base()."""
