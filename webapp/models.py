"""Imports every domain's models so Alembic and create_all see the whole schema.

Each domain adds its own line here."""
from .appointments import models as appointments  # noqa: F401
from .assessments import models as assessments  # noqa: F401
from .audit import models as audit  # noqa: F401
from .auth import models as auth  # noqa: F401
from .companies import models as companies  # noqa: F401
from .compounds import models as compounds  # noqa: F401
from .dashboard import models as dashboard  # noqa: F401
from .district import models as district  # noqa: F401
from .documents import models as documents  # noqa: F401
from .jobs import models as jobs  # noqa: F401
from .meetings import models as meetings  # noqa: F401
from .notices import models as notices  # noqa: F401
from .people import models as people  # noqa: F401
from .requests import models as requests  # noqa: F401
from .structure import models as structure  # noqa: F401
