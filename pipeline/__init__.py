"""teipipe: archival telegrams to scholarly TEI editions.

Data flows one way: source text -> record model -> TEI -> validation -> editions.
Each stage is a module with a small public function; the CLI in ``pipeline.cli``
only parses arguments and prints.
"""

__version__ = "0.1.0"
