"""Many streets in one deployment: which street a record belongs to (`ownership`), the
district and city staff's "viewing street" choice (`views`, `access`)."""
