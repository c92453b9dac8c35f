# IOMMU patch series harness: the only entry point. See README.md.
#
#   make check     build both test kernels and run every test boot (CI runs this)
#   make run       boot the x86_64 (VT-d) and arm64 (SMMUv3) guests, print their reports
#   make shell     the same guest, interactive
#   make tree      (re)create build/linux: base + one commit per patch
#   make export    write build/linux's commits back to patches/
#   make lint      checkpatch --strict on every patch, kernel-doc on touched files
#   make docs      build the Documentation/ books the series touches, no warnings
#   make bench     boot a kernel without debug options and print the benchmarks
include base.conf

B        := $(CURDIR)/build
TREE     := $(B)/linux
JOBS     ?= 2
ARCHES   ?= x86_64 arm64
export BASE_PKG BASE_VERSION BASE_TARBALL BASE_SHA256 KERNEL_SRC JOBS

FRAGS_x86_64 := configs/x86_64.config configs/debug.config
FRAGS_arm64  := configs/arm64.config configs/debug.config

.PHONY: all deps base tree sync export export-check check run shell fuzz lint docs bench bisect \
	clean compile-arm64 \
	kernel-x86_64 kernel-arm64 guest-x86_64 guest-arm64
all: check

deps:
	@scripts/deps.sh

base: deps
	@scripts/base.sh

tree: base
	@scripts/tree.sh create $(TREE)

# Every build starts here: make the tree if missing, follow patches/ changes.
sync: base
	@scripts/tree.sh sync $(TREE)

export:
	@scripts/export.sh export $(TREE)

export-check:
	@if [ -d $(TREE)/.git ]; then scripts/export.sh check $(TREE); fi

define arch_rules
kernel-$(1): sync
	@scripts/kernel.sh $(1) $(TREE) $(B)/$(1) $(addprefix $(CURDIR)/,$(FRAGS_$(1)))

guest-$(1): kernel-$(1)
	@scripts/guest.sh $(1) $(TREE) $(B)/$(1)
endef
$(foreach a,x86_64 arm64,$(eval $(call arch_rules,$(a))))

# Compiled, never booted: the arm64 IOMMU, VFIO and IORT code without KUnit,
# as a product kernel builds it (see configs/nokunit.config)
compile-arm64: sync
	@KTARGETS="drivers/iommu/ drivers/vfio/ drivers/acpi/arm64/" \
		scripts/kernel.sh arm64 $(TREE) $(B)/arm64-nokunit \
		$(CURDIR)/configs/arm64.config $(CURDIR)/configs/nokunit.config

check: deps $(if $(filter arm64,$(ARCHES)),compile-arm64) $(addprefix guest-,$(ARCHES))
	@scripts/check.sh $(TREE) $(B)/logs $(ARCHES)

# The report of each guest: make run [ARCH=x86_64|arm64] [MODE=...]
RUN_ARCHES := $(or $(ARCH),x86_64 arm64)
run: export KPROGRESS := 1
run: deps $(addprefix guest-,$(RUN_ARCHES))
	@scripts/run.sh $(RUN_ARCHES)

shell: deps guest-x86_64
	@KUNIT=no scripts/qemu.sh x86_64 $(or $(MODE),legacy) $(B)/x86_64/kernel.img \
		$(B)/x86_64/guest/initramfs.cpio $(B)/logs/shell ""

# The fuzzer alone, for as long as asked: make fuzz SECONDS=3600 [ARCH=arm64]
# [FUZZ_ARGS="-p 4 -j 2 -s SEED"]
FUZZ_ARCH := $(or $(ARCH),x86_64)
fuzz: deps guest-$(FUZZ_ARCH)
	@scripts/fuzz.sh $(FUZZ_ARCH) $(or $(MODE),$(if $(filter arm64,$(FUZZ_ARCH)),smmuv3,sm)) \
		$(or $(SECONDS),600) "$(FUZZ_ARGS)"

lint: sync
	@scripts/lint.sh $(TREE) $(B)/x86_64 $(B)/arm64

bench: deps sync
	@scripts/bench.sh $(TREE) $(B)

docs: sync
	@scripts/docs.sh $(TREE) $(B)/docs

bisect: sync
	@FROM=$(or $(FROM),1) scripts/bisect.sh $(TREE) $(B)

clean:
	rm -rf $(B)/x86_64 $(B)/x86_64-bench $(B)/arm64 $(B)/arm64-bench $(B)/arm64-nokunit \
		$(B)/docs $(B)/logs
