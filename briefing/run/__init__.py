"""Runners: what drives the stages for one episode, many shows, or a Ray cluster.

pipeline runs one briefing (plan, speak and assemble, publish); shows runs many
shows on this machine with one pool of voices; cluster runs them on Ray;
show_file reads a show's TOML file; record answers a run repeated with nothing
changed. Importing this package loads nothing: a repeated run is answered
before the pipeline is imported.
"""
