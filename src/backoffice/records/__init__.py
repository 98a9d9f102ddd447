"""Records: the document store every module attaches its files to.

Invariants: a document belongs to one company and is read only through
``selectors.visible_documents`` (company + role + department + classification);
versions are only ever added; confidential and secret bytes are encrypted at
rest with a per-file key wrapped by the records key; reads of those are
audited; nothing leaves except through an approved disposal, which keeps a
tombstone. See docs/modules/records.md.
"""
