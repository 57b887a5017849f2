"""Topics as data: the built-in topic files (`terms`: how a topic's terms are written
and found in text).

Each built-in topic is one TOML file here, written like a [[topics]] table of
marsad.toml, so that it can be copied into a configuration and tuned there. They are
read, and checked, as a configuration's own topics are: `crawler.config.topics`.
"""
