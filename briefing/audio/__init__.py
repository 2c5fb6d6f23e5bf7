"""Audio: Script + voices -> spoken segments -> the episode's MP3, clips and transcripts.

Each segment is synthesized once into a shared cache (synthesize, cache),
levelled to one loudness (dynamics), then mixed and encoded while the rest are
still being spoken (mix); the story clips are cut from the MP3's frames (mp3),
tagged with chapters (tags), and the transcripts written from the same sample
counts (transcripts). ffmpeg is the one that imageio-ffmpeg ships.
"""
