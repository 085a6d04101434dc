"""Documents: negotiating texts as typed and in Word, compiled texts and final acts as PDF,
HTML and on the command line. They read the core's objects; they never import the relay
or the node."""
