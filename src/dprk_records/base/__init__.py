"""What every stage and tool stands on, with the standard library only (the loader imports it).

- :mod:`.fileguard`   the one way a file is opened: no link, FIFO, device or path leaving a folder
- :mod:`.folderlock`  one writer of a folder at a time (flock on its parent)
- :mod:`.parallel`    how many cores a process may use; starting worker processes safely
- :mod:`.paths`       where schemas/ is, in a checkout or an installed wheel
- :mod:`.progress`    one progress line for builds and downloads, quiet in pipes
"""
