"""The peak resident memory of this process in MiB (Linux's VmHWM), as bench/workload.hpp's
report() adds it to the C++ programs' RESULT lines; -1 where /proc does not say."""


def peak_mib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1
