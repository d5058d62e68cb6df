"""Constants shared by tests/reader (imported by basename: tests/ has no packages)."""

# The publish builds' SITEURL.
SITEURL = "https://news.example.org"
