"""The made-up demo trust that `make run` loads, and benchmark-sized data.

It sits on top of every other app, since it builds records in all of them through their models
and services; nothing below imports it.
"""
