"""The privacy app's writes: the read log (``reads``), retention and purge (``purge``), the participant's
requests (``requests``), privacy notices and consents (``notices``)."""
