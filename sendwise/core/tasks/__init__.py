"""Background work: Django's Tasks API (the `django-tasks` backport), run by `manage.py db_worker`.

Why it is built this way is docs/adr/0010-background-tasks-and-progress.md. Everything is set in
one place, the "Background work" block of sendwise/settings.py: TASKS (the database queue of
`django-tasks-db`; the immediate backend in tests), TASK_DATABASE (the database alias that holds
the queue and the progress rows, a second connection beside the work's own transaction),
TASK_HEARTBEAT_SECONDS and TASK_DEAD_AFTER_SECONDS.

To add a task (a report pack, a nightly progress check, an email):

1. In the app's `tasks.py`, decorate a module-level function with `@task()` from `django_tasks`
   (`django.tasks` on Django 6). It takes ids and plain values (they are stored as JSON), never
   model instances or an Actor: it may run minutes later on another machine, so it loads its rows
   and rebuilds the actor itself (`core.access.actor_for(user, school_id)`).
2. Start it from a function of that module with `the_task.enqueue(...)`, after the rows it needs
   are committed. The work itself stays in the app's services, as every write does.
3. If someone waits for it, queue its progress row when it is asked for
   (`services.task_progress_queue`) and run the work inside `with Heartbeat(key) as beat:`,
   calling `beat.report(done, total, stage)`. The row is written on TASK_DATABASE, never inside
   the work's transaction, so every web process sees it at once; `selectors.task_progress_get`
   reads it and `selectors.task_is_dead` tells a worker that died from one that is busy.
4. A failure the person should see is recorded by the task (as the import puts its error on the
   batch) and then raised again, so the queue keeps the traceback.

A worker (`manage.py db_worker`, started by `make run` beside the web server) takes tasks from
the queue; run as many as you like, on as many machines as share the database.
"""
