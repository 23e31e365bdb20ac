"""Importing Instagram's "Download your information" export (JSON, any of the four layouts seen since 2018).

    summary = import_export(path, world_or_store, progress, cancel)       # into a given world
    summary = import_into_data_dir(path, root, world_name=None, ...)      # picks/creates the world, current
    print(summary.sentence)   # "312 following, 290 followers, 4,120 liked posts since 2019-03-02, …"

Every failure is an ExportError whose str() is the sentence to show; nothing is written then.
"""

from discovery.lazy import exports

_MODULES = {
    "discovery.export.archive": ["ArchiveLimits"],
    "discovery.export.errors": ["DamagedExport", "ExportError", "HtmlExport", "MissingFile", "NotAnExport",
                                "UnexpectedShape", "UnknownOwner", "UnsafeArchive", "WrongAccount"],
    "discovery.export.importer": ["ImportSummary", "import_export", "import_into_data_dir", "read_export",
                                  "write_export"],
    "discovery.export.layouts": ["ExportData", "PostRef", "Relation"],
    "discovery.export.text": ["media_pk", "repair_text"],
}
__getattr__ = exports(__name__, {name: module for module, names in _MODULES.items() for name in names})

__all__ = [
    "ArchiveLimits", "DamagedExport", "ExportData", "ExportError", "HtmlExport", "ImportSummary",
    "MissingFile", "NotAnExport", "PostRef", "Relation", "UnexpectedShape", "UnknownOwner", "UnsafeArchive",
    "WrongAccount", "import_export", "import_into_data_dir", "media_pk", "read_export", "repair_text",
    "write_export",
]
