# Sourced by swarm-scenarios.sh: a second Docker host on this machine, for the Swarm's second node.
#
# A second dockerd runs in its own network namespace (and UTS namespace, so that it has its own host
# name), joined to the test engine's namespace by a bridge on a private /24. It has its own data root,
# so it holds none of the test engine's images: it pulls the app from the registry like a real worker,
# through a relay (the registry listens on 127.0.0.1 only; the worker's 127.0.0.1:5443 is relayed
# through a Unix socket, which crosses network namespaces, to the host's). The stand-ins that are not
# in the registry (the proxy's caddy:2) are loaded into it. Nothing here listens beyond this machine.
#
# `nsenter --net` rather than `ip netns exec`: the latter remounts /sys, which hides the cgroup
# mounts dockerd needs ("Devices cgroup isn't mounted").
#
# Expects: WORK, log, fail. Defines NODE2_DOCKER (the docker command for the second engine),
# NODE2_NAME, SWARM_ADDR (the test engine's address on the bridge, to advertise at swarm init).

readonly NODE2_NET=10.231.77
readonly NODE2_NS="fpnode2-$$"
readonly NODE2_BRIDGE="fpbr$$"
readonly NODE2_VETH="fpn2h$$"
readonly NODE2_NAME=fp-node2
readonly NODE2_ROOT="/var/lib/frankenphp-it/node2-$$"
readonly NODE2_RUN="/run/fpn2-$$"
readonly NODE2_SOCK="/run/fpn2-$$.sock"
readonly SWARM_ADDR="$NODE2_NET.1"
readonly NODE2_ADDR="$NODE2_NET.2"
NODE2_DOCKER=(docker -H "unix://$NODE2_SOCK")
NODE2_PIDS=()
NODE2_UP=0

# Removes what an earlier run, killed before its clean-up, left: its engine, relays, namespace, links,
# firewall rule and directories (the caller holds the lock, so no other run is using them).
second_node_clear_leftovers() {
	local pidfile pid ns dev i
	for pidfile in /run/fpn2-*.pid; do
		[[ -f $pidfile ]] || continue
		pid="$(cat "$pidfile")"
		kill "$pid" 2>/dev/null || :
		for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
	done
	pkill -f 'registry-relay.sock' 2>/dev/null || :
	for ns in $(ip netns list | awk '/^fpnode2-[0-9]+/ { print $1 }'); do ip netns del "$ns"; done
	for dev in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | { grep -E '^(fpbr|fpn2h)[0-9]+$' || :; }); do
		iptables -D DOCKER-USER -i "$dev" -o "$dev" -j ACCEPT 2>/dev/null || :
		ip link del "$dev" 2>/dev/null || :
	done
	second_node_remove_directories '/var/lib/frankenphp-it/node2-[0-9]+' '/run/fpn2-[0-9]+'
}

# Unmounts what an engine left under these directories (layers, namespaces of its containers), then
# removes them. Patterns are extended regular expressions of whole directory names.
second_node_remove_directories() { # PATTERN...
	local pattern dir
	for pattern in "$@"; do
		{ grep -oE " $pattern(/[^ ]*)?" /proc/mounts || :; } | sort -r | xargs -r -n1 umount -l 2>/dev/null || :
		for dir in $(ls -d /var/lib/frankenphp-it/node2-* /run/fpn2-* 2>/dev/null | { grep -xE "$pattern" || :; }); do
			rm -rf "$dir" "$dir.pid" "$dir.sock"
		done
	done
}

second_node_start() {
	NODE2_UP=1
	ip link add "$NODE2_BRIDGE" type bridge
	ip addr add "$SWARM_ADDR/24" dev "$NODE2_BRIDGE"
	ip link set "$NODE2_BRIDGE" up
	ip netns add "$NODE2_NS"
	ip link add "$NODE2_VETH" type veth peer name eth1 netns "$NODE2_NS"
	ip link set "$NODE2_VETH" master "$NODE2_BRIDGE" up
	ip -n "$NODE2_NS" addr add "$NODE2_ADDR/24" dev eth1
	ip -n "$NODE2_NS" link set eth1 up
	ip -n "$NODE2_NS" link set lo up
	# The engine's FORWARD policy is DROP, and bridged frames go through iptables here.
	iptables -I DOCKER-USER -i "$NODE2_BRIDGE" -o "$NODE2_BRIDGE" -j ACCEPT

	socat "UNIX-LISTEN:$WORK/registry-relay.sock,fork,unlink-early" TCP:127.0.0.1:5443 >/dev/null 2>&1 &
	NODE2_PIDS+=($!)
	nsenter --net="/var/run/netns/$NODE2_NS" \
		socat TCP-LISTEN:5443,bind=127.0.0.1,fork,reuseaddr "UNIX-CONNECT:$WORK/registry-relay.sock" >/dev/null 2>&1 &
	NODE2_PIDS+=($!)

	mkdir -p "$NODE2_ROOT" "$NODE2_RUN"
	# Its own (empty) daemon.json and containerd namespaces: nothing shared with the test engine.
	printf '{}\n' >"$NODE2_RUN/daemon.json"
	nsenter --net="/var/run/netns/$NODE2_NS" unshare --uts sh -c "hostname $NODE2_NAME && exec dockerd \
		--data-root '$NODE2_ROOT' --exec-root '$NODE2_RUN' -H 'unix://$NODE2_SOCK' --pidfile '$NODE2_RUN.pid' \
		--config-file '$NODE2_RUN/daemon.json' --containerd-namespace fpnode2 --containerd-plugins-namespace fpnode2-plugins \
		--bridge=none" >"$WORK/node2-dockerd.log" 2>&1 &
	NODE2_PIDS+=($!)
	local i
	for i in $(seq 1 60); do
		"${NODE2_DOCKER[@]}" info >/dev/null 2>&1 && break
		((i < 60)) || { tail -n 20 "$WORK/node2-dockerd.log" >&2; fail "the second engine did not start"; }
		sleep 0.5
	done
	[[ $("${NODE2_DOCKER[@]}" info --format '{{.Name}}') == "$NODE2_NAME" ]] || fail "the second engine is not named $NODE2_NAME"
	# The proxy runs on every node (mode: global); its image is a local stand-in, not in the registry.
	docker save caddy:2 | "${NODE2_DOCKER[@]}" load >/dev/null || fail "could not load caddy:2 into the second engine"
	log "second engine $NODE2_NAME at $NODE2_ADDR (network namespace $NODE2_NS), registry relayed, caddy:2 loaded"
}

second_node_stop() {
	((NODE2_UP)) || return 0
	"${NODE2_DOCKER[@]}" swarm leave --force >/dev/null 2>&1
	"${NODE2_DOCKER[@]}" ps -aq 2>/dev/null | xargs -r "${NODE2_DOCKER[@]}" rm -f >/dev/null 2>&1
	[[ -f $NODE2_RUN.pid ]] && kill "$(cat "$NODE2_RUN.pid")" 2>/dev/null
	local i
	for i in $(seq 1 40); do
		[[ -S $NODE2_SOCK ]] && "${NODE2_DOCKER[@]}" info >/dev/null 2>&1 || break
		sleep 0.5
	done
	kill "${NODE2_PIDS[@]}" 2>/dev/null
	wait "${NODE2_PIDS[@]}" 2>/dev/null
	second_node_remove_directories "$NODE2_ROOT" "$NODE2_RUN"
	iptables -D DOCKER-USER -i "$NODE2_BRIDGE" -o "$NODE2_BRIDGE" -j ACCEPT 2>/dev/null
	ip netns del "$NODE2_NS" 2>/dev/null
	ip link del "$NODE2_BRIDGE" 2>/dev/null
	NODE2_UP=0
}

# Joins the second engine to the test engine's Swarm as a worker; waits until the manager sees it Ready.
second_node_join() {
	local token
	token="$(docker swarm join-token -q worker)"
	"${NODE2_DOCKER[@]}" swarm join --token "$token" "$SWARM_ADDR:2377" >/dev/null || fail "$NODE2_NAME could not join the Swarm"
	wait_until "$NODE2_NAME Ready in the Swarm" 60 node2_ready
}
node2_ready() { [[ $(docker node ls --filter "name=$NODE2_NAME" --format '{{.Status}}') == Ready ]]; }
