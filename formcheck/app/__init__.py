"""formcheck in the browser: a local web app over the same core as `live` and `analyze`.

The page takes the camera (getUserMedia) and sends frames over a WebSocket to the same
`live_session` the OpenCV window uses; the server sends back the overlay's state and the page draws
it. Analysing a video, the history and the progress report call the same api, store and report
packages as the command line. Nothing here analyses, records or reports by itself.

Needs the `app` extra: pip install 'formcheck[app]'.
"""
