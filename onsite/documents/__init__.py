"""The meeting's official documents (issue 17 items 6–8): the List of Participants, the tent cards and the
certificates of attendance. Models in ``models.py`` (imported by ``onsite.models``), pure renderers in
``rendering.py``, reads in ``selectors.py``, writes in ``services.py``, tasks in ``tasks.py`` (imported by
``onsite.tasks``), organizers' admin in ``admin.py`` (imported by ``onsite.admin``), the public verification page
and the focal points' ZIP in ``views.py``."""
