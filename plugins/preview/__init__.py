"""`make serve`: a preview whose latency does not grow with the archive.

    python -m plugins.preview [--content content] [--settings pelicanconf.py] [--output output]
                              [--port 8000] [--quick]

One process (``__main__.py``) serves the output folder on 127.0.0.1 (``server.py``), runs Pelican
in-process — incremental builds (plugins/incremental), one at a time, in a background thread
(``builds.py``) — and watches the content folder, the theme and the settings file (``watch.py``).

In the spirit of Hugo's fast-render mode, a saved Markdown post is shown first and the rest of the
site is brought up to date after it:

* the fast path (``fast_path.py``): the objects of the last completed build stay in memory
  (``site_model.py``: its generators, their contexts and Jinja environments).  The saved post is
  read again with the build's own readers; when its URL, date, column, tags, status and flags are
  unchanged (an edit of its title, summary or body), the article object of every language that
  shows it (简体 and its 繁體 conversion, or the English translation) is updated in place — so
  every list that holds it sees the new text — and only its article pages and the one paginated
  column page it is on are rendered, through Pelican's own writer, and written atomically.
  Its time depends on one post and one column page, not on the archive;
* then a full incremental build runs in the background (a change arriving during it starts
  another one after it), which renders whatever else the edit touched (home page, tag and year
  pages, related articles, search) and corrects the pages the fast path wrote: a file written
  outside a build never matches the build record, so the next build renders it again.  The
  final state is what `make site` builds.

Everything else — a new, moved or deleted post, a structural edit (date, column, slug, tags,
Recommended/Hot, status), a page, a translation stamp, the theme or the settings — waits for the
background build.  A post that cannot be read is reported as one line naming the file; the server
keeps serving the last good site, and the build is retried on the next save.
"""
