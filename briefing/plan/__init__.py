"""Plan: Articles -> the Script a voice will read.

Group articles about one event into stories (group), rank each story's
sentences (rank), leave out what the listener does not want or has heard
(topics, memory), choose sentences that can be heard on their own (edit,
people), and write the spoken script with its greeting, rundown, transitions
and sign-off (script). Nothing here speaks, prints or touches the network.
"""
