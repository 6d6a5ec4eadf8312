"""Reading the sheets people already keep (SPEC 4.2.1) and writing the ones we make.

Reading is a pipeline of small pure steps over plain data, each with table tests:

- `workbook`: bytes -> the workbook's sheets as cells (every format by content, within limits);
- `locate`: which sheet and which header row(s) hold the table;
- `clean`: merged cells and fill-down; rows that are not tasks, skipped with the reason;
- `words`: the words people write for columns, units, frequencies, yes/no and levels;
- `interpret`: columns -> inventory keys and units, cells -> values;
- `assemble`: one task per (department, process, task), categories, stated hours, checks;
- `reading`: the whole pipeline, answering problems, questions or rows.

Nothing here touches the database or a request; `problems` holds what every step reports."""
