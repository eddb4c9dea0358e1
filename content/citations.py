"""'Cite this' in APA, Chicago, BibTeX and RIS, for a page or a filtered view.

The author and publisher is the site itself; every citation names the dataset version
and the access date, because the content keeps changing after it is cited.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateformat import format as date_format

from . import dataset

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")


def _bibtex(text):
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Citation:
    title: str
    url: str
    accessed: date
    version: str
    published: date | None = None

    @property
    def author(self):
        return settings.SITE_NAME

    @property
    def year(self):
        return (self.published or self.accessed).year

    @property
    def key(self):
        words = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        return f"ici-{words[:40].strip('-') or 'dataset'}-{self.accessed:%Y%m%d}"

    def apa(self):
        return (
            f"{self.author}. ({self.year}). {self.title} (Version {self.version}) "
            f"[Data set]. Retrieved {date_format(self.accessed, 'F j, Y')}, "
            f"from {self.url}"
        )

    def chicago(self):
        return (
            f'{self.author}. "{self.title}." Dataset version {self.version}. '
            f"Accessed {date_format(self.accessed, 'F j, Y')}. {self.url}."
        )

    def bibtex(self):
        fields = {
            "author": "{" + _bibtex(self.author) + "}",
            "title": _bibtex(self.title),
            "year": str(self.year),
            "version": _bibtex(self.version),
            "url": self.url,
            "urldate": self.accessed.isoformat(),
            "note": _bibtex(
                f"Dataset version {self.version}, accessed {self.accessed.isoformat()}"
            ),
        }
        lines = [f"  {name} = {{{value}}}" for name, value in fields.items()]
        return f"@misc{{{self.key},\n" + ",\n".join(lines) + "\n}"

    def ris(self):
        lines = [
            ("TY", "DATA"),
            ("TI", self.title),
            ("AU", self.author),
            ("PB", self.author),
            ("PY", str(self.year)),
            ("ET", self.version),
            ("UR", self.url),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("N1", f"Dataset version {self.version}"),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {value}\n" for tag, value in lines)

    def formats(self):
        """(name, text) pairs, in the order the page shows them."""
        return [
            ("APA", self.apa()),
            ("Chicago", self.chicago()),
            ("BibTeX", self.bibtex()),
            ("RIS", self.ris()),
        ]


def for_request(request, title):
    """The citation of the page being shown, without its page number, its format or
    the empty fields a submitted filter form leaves in the address."""
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name not in {"page", "format"} and (given := [v for v in values if v]):
            query.setlist(name, given)
    url = request.build_absolute_uri(request.path)
    if query:
        url += "?" + query.urlencode()
        # Name the filters in the title too: a reference list of several filtered
        # views should tell them apart without reading their addresses.
        described = "; ".join(
            f"{name}: {', '.join(values)}" for name, values in query.lists()
        )
        title = f"{title} ({described})"
    version = dataset.current(request)
    return Citation(
        title=title,
        url=url,
        accessed=timezone.localdate(),
        version=version.label,
        published=version.date,
    )
