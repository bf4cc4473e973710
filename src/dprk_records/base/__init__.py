"""What every stage and tool stands on, with the standard library only (the loader imports it).

- :mod:`.atomic`      replacing a file or a folder so readers see the old or the new, never half
- :mod:`.fileguard`   the one way a file is opened: no link, FIFO, device or path leaving a folder
- :mod:`.folderlock`  one writer of a folder at a time (flock on its parent)
- :mod:`.hashing`     SHA-256 of bytes and files, and checking a Frictionless ``hash`` field
- :mod:`.parallel`    how many cores a process may use; starting worker processes safely
- :mod:`.paths`       where schemas/ is, in a checkout or an installed wheel
- :mod:`.progress`    one progress line for builds and downloads, quiet in pipes
"""
